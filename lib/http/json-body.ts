import "server-only";
import type { z } from "zod";
import { AppError } from "../errors";

/** Request bodies larger than this are refused (413). An exported session with signers is a few KB. */
export const MAX_BODY_BYTES = 64 * 1024;

/** `application/json`, with or without parameters (`; charset=utf-8`). */
export function isJsonContentType(type: string | null): boolean {
  return /^application\/json\s*(;|$)/i.test(type ?? "");
}

/**
 * Reads a JSON body and validates it with `schema`: 415 unless `application/json`, 413 past
 * the size limit (counted as it streams, not trusted from Content-Length), 400 for JSON
 * that does not parse or does not match, with a message naming the fields.
 */
export async function readJsonBody<S extends z.ZodType>(request: Request, schema: S): Promise<z.infer<S>> {
  if (!isJsonContentType(request.headers.get("content-type"))) {
    throw new AppError("unsupported_media_type", "Send the body as JSON with Content-Type: application/json.");
  }
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > MAX_BODY_BYTES) throw tooLarge();

  const text = await readLimited(request);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AppError("invalid_json", "The request body is not valid JSON.");
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const details = parsed.error.issues.map((issue) => `${issue.path.join(".") || "body"}: ${issue.message}`).join("; ");
    throw new AppError("bad_request", `Invalid request body. ${details}`);
  }
  return parsed.data;
}

async function readLimited(request: Request): Promise<string> {
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function tooLarge(): AppError {
  return new AppError("payload_too_large", `The request body is larger than ${MAX_BODY_BYTES / 1024} KB.`);
}
