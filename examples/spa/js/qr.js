// Compiled from examples/spa/src/qr.ts by `npm run codegen:spa`: edit that file, not this one.
/* eslint-disable */
// A QR code an authenticator app scans, drawn as SVG by the qrcode-generator library. The
// library is one ES module with no dependency; the development servers serve its file from
// node_modules at vendor/qrcode-generator.js (copy it there to host the page elsewhere).
import qrcode from '../vendor/qrcode-generator.js';
const SVG = 'http://www.w3.org/2000/svg';
/** The blank border scanners need around the code, in modules. */
const QUIET_ZONE = 4;
/**
 * An authenticator secret for people: the QR code of its otpauth URI in `#<prefix>-qr`, the key in
 * `#<prefix>-secret`, the URI as a link in `#<prefix>-link` (a phone opens its authenticator app
 * with it); all emptied without one.
 */
export function drawTotpSetup(prefix, setup) {
    const qr = document.getElementById(`${prefix}-qr`);
    const secret = document.getElementById(`${prefix}-secret`);
    const link = document.getElementById(`${prefix}-link`);
    if (qr === null || secret === null || link === null)
        throw new Error(`no #${prefix}-qr, -secret or -link in the page`);
    secret.textContent = setup?.secret ?? '';
    if (setup === null) {
        qr.replaceChildren();
        link.removeAttribute('href');
    }
    else {
        drawQrCode(qr, setup.otpauthUri);
        link.setAttribute('href', setup.otpauthUri);
    }
}
/** Replaces `container`'s content with the QR code of `text`. */
export function drawQrCode(container, text) {
    const qr = qrcode(0, 'M'); // the smallest version that holds the text; medium error correction
    qr.addData(text);
    qr.make();
    const size = qr.getModuleCount();
    let path = '';
    for (let row = 0; row < size; row++) {
        for (let column = 0; column < size; column++) {
            if (qr.isDark(row, column))
                path += `M${column},${row}h1v1h-1z`;
        }
    }
    const side = size + 2 * QUIET_ZONE;
    const svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('viewBox', `${-QUIET_ZONE} ${-QUIET_ZONE} ${side} ${side}`);
    svg.setAttribute('width', String(side * 4));
    svg.setAttribute('height', String(side * 4));
    svg.setAttribute('shape-rendering', 'crispEdges');
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', 'QR code for your authenticator app');
    const background = document.createElementNS(SVG, 'rect');
    for (const [name, value] of [['x', -QUIET_ZONE], ['y', -QUIET_ZONE], ['width', side], ['height', side]]) {
        background.setAttribute(name, String(value));
    }
    background.setAttribute('fill', '#fff');
    const modules = document.createElementNS(SVG, 'path');
    modules.setAttribute('d', path);
    modules.setAttribute('fill', '#000');
    svg.append(background, modules);
    container.replaceChildren(svg);
}
