import type { NextRequest } from "next/server";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { SMART_ACCOUNT_TYPES, type SmartAccountType } from "@/lib/signing/smart-account";

const typeParam = z.enum(SMART_ACCOUNT_TYPES).default("erc4337");

/** `?type=erc4337` (the default: a SimpleAccount contract) or `?type=eip7702` (the wallet itself, delegated). */
export function smartAccountTypeOf(request: NextRequest): SmartAccountType {
  const parsed = typeParam.safeParse(request.nextUrl.searchParams.get("type") ?? undefined);
  if (!parsed.success) throw new AppError("bad_request", `type must be one of ${SMART_ACCOUNT_TYPES.join(", ")}.`);
  return parsed.data;
}
