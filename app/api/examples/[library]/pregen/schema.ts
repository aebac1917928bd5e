import { z } from "zod";

/** `POST /api/examples/[library]/pregen`: which of the caller's pregenerated sets signs (the `id` its creation answered). */
export const pregenExampleBody = z.object({
  setId: z
    .string({ error: "setId must be the id POST /api/wallets/pregen answered" })
    .min(1, "setId is empty")
    .max(200, "setId is too long"),
});

export type PregenExampleBody = z.infer<typeof pregenExampleBody>;
