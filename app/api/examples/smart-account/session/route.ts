import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/http/api-route";
import { runSmartAccountExample } from "@/lib/signing/examples";
import { smartAccountTypeOf } from "../schema";

export const runtime = "nodejs";

/** A user operation from a smart account owned by the stored session's EVM wallet (sent with signers). */
export const POST = apiRoute(async (request) => {
  const type = smartAccountTypeOf(request);
  return NextResponse.json(await runSmartAccountExample({ mode: "session" }, type));
});
