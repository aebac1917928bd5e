import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/http/api-route";
import { readJsonBody } from "@/lib/http/json-body";
import { limitParaRefusals } from "@/lib/http/rate-limit";
import { startTokenSession } from "@/lib/session/service";
import { verifyTokenBody } from "./schema";

export const runtime = "nodejs";

/** Path 2: check a verification token with Para's `/sessions/verify`, importing nothing. */
export const POST = apiRoute(async (request) => {
  const { verificationToken } = await readJsonBody(request, verifyTokenBody);
  return NextResponse.json(await limitParaRefusals(request, () => startTokenSession(verificationToken)));
});
