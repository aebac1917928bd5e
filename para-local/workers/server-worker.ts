// The server SDK's signing worker, para-local edition. The SDK downloads this bundle from the
// portal's `/static/js/mpcWorkerServer-bundle.js` and runs it with `new Worker(code, { eval: true })`
// (server-sdk `workers/workerWrapper.js`), one per process. The jobs are shared with the browser
// worker (see `jobs.ts`).
import { parentPort } from "node:worker_threads";
import { createJobRunner, type WorkerMessage } from "./jobs.js";

const port = parentPort;
if (!port) throw new Error("para-local's server worker must run in a worker thread");

const run = createJobRunner((result) => port.postMessage(result));

port.on("message", (message: WorkerMessage) => {
  void run(message);
});
