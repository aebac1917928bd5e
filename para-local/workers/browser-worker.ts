// The browser SDK's signing worker, para-local edition. web-sdk (`workers/workerWrapper.js`)
// fetches this bundle from the portal's `/static/js/mpcWorker-bundle.js`, wraps it in a Blob
// URL and starts it as a classic Web Worker, so it runs with the app's origin and reaches the
// API through CORS. The jobs are the server worker's (see `jobs.ts`).
import { createJobRunner, type JobResult, type WorkerMessage } from "./jobs.js";

/** The dedicated worker's global scope, typed for what this file uses (tsconfig has no WebWorker lib). */
const scope = globalThis as unknown as {
  postMessage(message: JobResult): void;
  addEventListener(type: "message", listener: (event: { data: WorkerMessage }) => void): void;
};

const run = createJobRunner((result) => scope.postMessage(result));

scope.addEventListener("message", (event) => {
  void run(event.data);
});
