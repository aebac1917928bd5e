import { z } from "zod";
import { SIGNING_LIBRARIES } from "@/lib/signing/types";

const at = z.iso
  .datetime({ offset: true, error: "at must be an ISO 8601 time, such as 2026-12-31T12:00:00Z" })
  .transform((text) => new Date(text));
const library = z.enum(SIGNING_LIBRARIES, { error: `library must be one of: ${SIGNING_LIBRARIES.join(", ")}` });
// Control characters and half a surrogate pair: Postgres refuses a NUL, and the rest would be signed as something else.
const UNSIGNABLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const note = z
  .string({ error: "message must be a string" })
  .min(1, "message is empty")
  .max(280, "message is longer than 280 characters")
  .refine((text) => !UNSIGNABLE.test(text), "message must be plain text: no control characters");

/** `POST /api/actions`: sign a message, or the demo transaction, with the user's session at `at`. */
export const scheduleActionBody = z.discriminatedUnion(
  "kind",
  [
    z.object({
      kind: z.literal("message"),
      at,
      library,
      message: note,
    }),
    z.object({ kind: z.literal("transaction"), at, library }),
  ],
  { error: 'kind must be "message" or "transaction"' },
);
