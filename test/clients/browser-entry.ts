// The page's script in test/clients/browser.test.ts: the clients' configurations of docs/clients/,
// bundled for Chromium as an app's bundler would, on `window.clients`.
import { parse } from 'graphql'
import { createApolloClient } from './config/apollo.ts'
import { createUrqlClient } from './config/urql.ts'

Object.assign(globalThis, { clients: { createApolloClient, createUrqlClient, parse } })
