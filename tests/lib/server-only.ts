// Stands in for the `server-only` package in the "lib" test project: its real entry throws
// outside a React Server Components bundle, and these tests import lib/ straight into Node.
export {};
