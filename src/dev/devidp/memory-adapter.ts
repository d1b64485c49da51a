// oidc-provider's storage for the DevIdP: in memory, as its own quick-start adapter, but ours, so
// that the library does not warn at every start. The DevIdP lives as long as the emulator and
// holds nothing worth keeping (sessions, interactions, codes of a few minutes).
import type { AdapterPayload } from 'oidc-provider'

/** What oidc-provider calls on its storage (its documented Adapter interface, the parts a code-flow provider uses). */
export interface OidcAdapter {
  upsert (id: string, payload: AdapterPayload, expiresIn?: number): Promise<void>
  find (id: string): Promise<AdapterPayload | undefined>
  findByUid (uid: string): Promise<AdapterPayload | undefined>
  findByUserCode (userCode: string): Promise<undefined>
  consume (id: string): Promise<void>
  destroy (id: string): Promise<void>
  revokeByGrantId (grantId: string): Promise<void>
}

/** An adapter class with a store of its own (one per DevIdP); oidc-provider instantiates it once per model (Session, Interaction, Grant…). */
export function memoryAdapter (): new (model: string) => OidcAdapter {
  const stored = new Map<string, { payload: AdapterPayload, expiresAt: number }>()
  const byUid = new Map<string, string>()
  const byGrant = new Map<string, Set<string>>()
  const sweep = (now: number): void => {
    for (const [key, { expiresAt }] of stored) if (expiresAt <= now) stored.delete(key)
  }

  return class MemoryAdapter implements OidcAdapter {
    private readonly model: string
    constructor (model: string) {
      this.model = model
    }

    private key (id: string): string {
      return `${this.model}:${id}`
    }

    async upsert (id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
      const key = this.key(id)
      sweep(Date.now())
      stored.set(key, { payload, expiresAt: expiresIn === undefined ? Infinity : Date.now() + expiresIn * 1000 })
      if (payload.uid !== undefined) byUid.set(payload.uid, id)
      if (payload.grantId !== undefined) byGrant.set(payload.grantId, (byGrant.get(payload.grantId) ?? new Set()).add(key))
    }

    async find (id: string): Promise<AdapterPayload | undefined> {
      const entry = stored.get(this.key(id))
      if (entry === undefined || entry.expiresAt <= Date.now()) return undefined
      return entry.payload
    }

    async findByUid (uid: string): Promise<AdapterPayload | undefined> {
      const id = byUid.get(uid)
      return id === undefined ? undefined : await this.find(id)
    }

    async findByUserCode (): Promise<undefined> {
      return undefined // no device flow
    }

    async consume (id: string): Promise<void> {
      const entry = stored.get(this.key(id))
      if (entry !== undefined) entry.payload.consumed = Math.floor(Date.now() / 1000)
    }

    async destroy (id: string): Promise<void> {
      const key = this.key(id)
      const uid = stored.get(key)?.payload.uid
      if (uid !== undefined) byUid.delete(uid)
      stored.delete(key)
    }

    async revokeByGrantId (grantId: string): Promise<void> {
      for (const key of byGrant.get(grantId) ?? []) stored.delete(key)
      byGrant.delete(grantId)
    }
  }
}
