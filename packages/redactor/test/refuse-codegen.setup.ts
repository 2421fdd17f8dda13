// Every test file of this package runs with V8 refusing to generate code from strings (as
// Cloudflare Workers do): this setup fails the run if the flag ever stops applying.
let refused = false
try {
  new Function('return 1')
} catch (error) {
  refused = error instanceof EvalError
}
if (!refused) {
  throw new Error(
    'code generation from strings is allowed here: run the suite with --disallow-code-generation-from-strings',
  )
}
