import { z } from "zod";

/** The identifier types the app pregenerates wallets for (Para supports more; these three need no social account). */
export const PREGEN_IDENTIFIER_TYPES = ["email", "phone", "customId"] as const;
export type PregenIdentifierType = (typeof PREGEN_IDENTIFIER_TYPES)[number];

/** A normalized identifier: what the database stores, the seal binds and Para is asked about. */
export interface PregenIdentifier {
  type: PregenIdentifierType;
  value: string;
}

const email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, "an email address has at most 254 characters")
  .pipe(z.email({ error: "not an email address" }));

// International format, as Para stores phones: "+" and 7 to 15 digits. Spaces, dashes and brackets are dropped.
const phone = z
  .string()
  .transform((value) => value.replace(/[\s().-]/g, ""))
  .pipe(z.string().regex(/^\+[1-9]\d{6,14}$/, "not an international phone number (+ country code and number, e.g. +15555550123)"));

// An id from the partner's own system: printable, no spaces, short enough to index.
const customId = z
  .string()
  .trim()
  .min(1, "customId is empty")
  .max(128, "customId has at most 128 characters")
  .regex(/^[A-Za-z0-9._:@+-]+$/, "customId may use letters, digits and . _ : @ + - only");

/** `{type, value}` as a client sends it, validated and normalized per type. */
export const pregenIdentifierSchema = z.discriminatedUnion(
  "type",
  [
    z.object({ type: z.literal("email"), value: email }),
    z.object({ type: z.literal("phone"), value: phone }),
    z.object({ type: z.literal("customId"), value: customId }),
  ],
  { error: `identifier.type must be one of ${PREGEN_IDENTIFIER_TYPES.join(", ")}` },
);

/** The identifier as the server SDK's `pregenId` takes it. */
export function toParaPregenId(identifier: PregenIdentifier): { email: string } | { phone: `+${number}` } | { customId: string } {
  switch (identifier.type) {
    case "email":
      return { email: identifier.value };
    case "phone":
      return { phone: identifier.value as `+${number}` };
    case "customId":
      return { customId: identifier.value };
  }
}
