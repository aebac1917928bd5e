import { z } from "zod";

/** `POST /api/session/verify`: the string `getVerificationToken()` returned in the browser. */
export const verifyTokenBody = z.object({
  verificationToken: z.string({ error: "verificationToken is required" }).min(1, "verificationToken is required").max(512),
});

export type VerifyTokenBody = z.infer<typeof verifyTokenBody>;
