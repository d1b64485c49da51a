// The identity providers of the emulated managed login (the embedded DevIdP).
import type { ProviderRef } from '../rules/federated-users.ts'

/** The identity providers of the emulator's pool (as CreateIdentityProvider would name them): the embedded DevIdP only. */
export const MANAGED_LOGIN_PROVIDERS: readonly ProviderRef[] = [{ name: 'DevIdP', type: 'OIDC' }]
