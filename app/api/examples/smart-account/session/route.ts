import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/http/api-route";
import { runSmartAccountExample } from "@/lib/signing/examples";

export const runtime = "nodejs";

/** A user operation from an ERC-4337 smart account owned by the stored session's EVM wallet (sent with signers). */
export const POST = apiRoute(async () => NextResponse.json(await runSmartAccountExample({ mode: "session" })));
