// The development pages' HTML (GET /, /dev/mailbox in a browser): one escaping template tag, one
// page frame, the mailbox's table. No script: the pages work under the documents' CSP as they are.
import type { MailboxMessage } from './mailbox.ts'
import { purposeOf } from './mailbox.ts'

/** Raw HTML that `html` inserts as it is. */
class Html {
  readonly text: string
  constructor (text: string) {
    this.text = text
  }

  toString (): string { return this.text }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }
const escapeHtml = (value: unknown) => String(value).replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c)

/** A template tag: interpolated values are escaped, except `Html` (another `html`) and arrays of them. */
export function html (strings: TemplateStringsArray, ...values: unknown[]): Html {
  const part = (value: unknown): string => Array.isArray(value) ? value.map(part).join('') : value instanceof Html ? value.text : escapeHtml(value)
  return new Html(strings.reduce((text, string, i) => text + string + (i < values.length ? part(values[i]) : ''), ''))
}

const STYLE = `body { font: 15px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #1d2430 }
h1 { font-size: 1.4rem } h2 { font-size: 1.1rem; margin-top: 2rem } a { color: #0b57d0 }
table { border-collapse: collapse; width: 100% } th, td { text-align: left; padding: .35rem .6rem; border-bottom: 1px solid #dde2ea }
th { font-weight: 600; background: #f4f6f9 } code, .code { font-family: ui-monospace, monospace } .code { font-size: 1.1rem; font-weight: 600 }
.muted { color: #5f6b7a }`

/** A whole page: its title, the body. */
export function page (title: string, body: Html): string {
  return html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${title}</title>
<style>${new Html(STYLE)}</style>
</head>
<body>
${body}
</body>
</html>
`.text
}

/** The mailbox's messages as a table, newest first (as given): when, what for, how, to whom, the code. */
export function mailboxTable (messages: MailboxMessage[]): Html {
  if (messages.length === 0) return html`<p class="muted">Nothing sent yet: a sign-up, a password reset or an email change sends a code here.</p>`
  const rows = messages.map((m) => html`<tr><td title="${m.sentAt}">${m.sentAt.slice(11, 19)}</td><td>${purposeOf(m.source)}</td><td>${m.medium}</td><td>${m.to}</td><td class="code">${m.code}</td></tr>`)
  return html`<table><thead><tr><th>sent (UTC)</th><th>purpose</th><th>medium</th><th>to</th><th>code</th></tr></thead><tbody>${rows}</tbody></table>`
}

/** The mailbox as a page: `to` when it is filtered. */
export function mailboxPage (messages: MailboxMessage[], to: string | undefined): string {
  const filter = to === undefined ? html`every address` : html`<code>${to}</code> (<a href="/dev/mailbox">every address</a>)`
  return page('Development mailbox', html`<h1>Development mailbox</h1>
<p>What the embedded Cognito emulator would have emailed or texted, newest first, for ${filter}.
<a href="">Reload</a> for new ones. Scripts read the same list as JSON (<code>Accept: application/json</code>, or curl's default).</p>
${mailboxTable(messages)}
<p class="muted"><a href="/">Development index</a></p>`)
}
