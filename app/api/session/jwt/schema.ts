import { z } from "zod";

/** `POST /api/session/jwt`: the token `para.issueJwt()` returned (a missing one is answered by the JWT check). */
export const jwtSessionBody = z.object({
  token: z.string({ error: "token must be the string issueJwt() returns" }).max(16_384, "token is too long").optional(),
});

export type JwtSessionBody = z.infer<typeof jwtSessionBody>;
