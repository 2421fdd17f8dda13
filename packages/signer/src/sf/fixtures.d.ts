/**
 * The conformance tests import the vendored httpwg JSON files as text (Vite's `?raw` suffix,
 * which Vitest supports in every environment) and parse them with their own reader, because
 * `JSON.parse` turns the suite's `1.0` into `1` and so loses the Decimal/Integer distinction.
 */
declare module '*.json?raw' {
  const text: string
  export default text
}
