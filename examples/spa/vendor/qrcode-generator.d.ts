// The types of vendor/qrcode-generator.js, which the development servers serve from
// node_modules/qrcode-generator/dist/qrcode.mjs: the page imports it by path, as browsers
// resolve no package names without an import map.
import qrcode from 'qrcode-generator'

export default qrcode
