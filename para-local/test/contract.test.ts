import { paraContract } from "../../tests/contract/para-contract.js";
import { API_KEY, API_URL, mintSession, quietSdkLogs } from "../testing/index.js";

// The checks `npm run test:sandbox` runs against Para's SANDBOX, here against para-local: both must pass.
quietSdkLogs();

paraContract({
  name: "para-local",
  environment: "DEV",
  apiKey: API_KEY,
  apiBase: `${API_URL}/`,
  exportedSession: async () => (await mintSession()).session,
});
