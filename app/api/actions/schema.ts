import { z } from "zod";
import { SIGNING_LIBRARIES } from "@/lib/signing/types";

const at = z.iso
  .datetime({ offset: true, error: "at must be an ISO 8601 time, such as 2026-12-31T12:00:00Z" })
  .transform((text) => new Date(text));
const library = z.enum(SIGNING_LIBRARIES, { error: `library must be one of: ${SIGNING_LIBRARIES.join(", ")}` });

/** `POST /api/actions`: sign a message, or the demo transaction, with the user's session at `at`. */
export const scheduleActionBody = z.discriminatedUnion(
  "kind",
  [
    z.object({
      kind: z.literal("message"),
      at,
      library,
      message: z.string().min(1, "message is empty").max(280, "message is longer than 280 characters"),
    }),
    z.object({ kind: z.literal("transaction"), at, library }),
  ],
  { error: 'kind must be "message" or "transaction"' },
);
