import { z } from "zod";
import { pregenIdentifierSchema } from "@/lib/wallets/identifier";

/** `POST /api/wallets/pregen`: who the wallets are for: `{identifier: {type: "email"|"phone"|"customId", value}}`. */
export const createPregenWalletsBody = z.object({ identifier: pregenIdentifierSchema });

export type CreatePregenWalletsBody = z.infer<typeof createPregenWalletsBody>;
