import { z } from "zod";

/** `POST /api/session`: the string `waitAndExportSession()` returned in the browser, encrypted to the server's key (a JWE). */
export const importSessionBody = z.object({
  session: z
    .string({ error: "session must be the exported session, encrypted to GET /api/session/transport-key (a JWE)" })
    .min(1, "session is empty"),
});

export type ImportSessionBody = z.infer<typeof importSessionBody>;
