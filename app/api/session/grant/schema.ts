import { z } from "zod";

/** `PUT /api/session/grant`: until when the server may act for the user while they are away (at most 30 days ahead). */
export const grantBody = z.object({
  until: z.iso
    .datetime({ offset: true, error: "until must be an ISO 8601 time, such as 2026-12-31T12:00:00Z" })
    .transform((text) => new Date(text)),
});
