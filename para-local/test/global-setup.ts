import { startParaLocal } from "../server.js";

/** One para-local in test mode for the whole contract suite. */
export default async function setup() {
  const paraLocal = await startParaLocal({ testMode: true, quiet: true });
  return () => paraLocal.close();
}
