import { z } from "zod";

/** `POST /api/session`: the string `waitAndExportSession()` returned in the browser. */
export const importSessionBody = z.object({
  session: z.string({ error: "session must be the string waitAndExportSession() returns" }).min(1, "session is empty"),
});

export type ImportSessionBody = z.infer<typeof importSessionBody>;
