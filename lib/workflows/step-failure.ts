import "server-only";
import { FatalError, RetryableError } from "workflow";
import { WorkflowError } from "workflow/errors";
import { AppError } from "../errors";
import { logError } from "../log";

/**
 * What a failed step hands the engine, which stores it unredacted: the error's code and message
 * when it is the app's own, else a bare line (a database error quotes its query's parameters, a
 * sealed session among them). The error itself goes to the app's log, which redacts.
 */
export function stepFailure(step: string) {
  return (error: unknown): never => {
    // The engine's own errors carry no app data, and mean something to it (retry later, give up).
    if (RetryableError.is(error) || FatalError.is(error) || WorkflowError.is(error)) throw error;
    logError(`workflow step ${step}`, error);
    throw new Error(error instanceof AppError ? `${error.code}: ${error.message}` : `${step} failed; the app's log has the cause`);
  };
}
