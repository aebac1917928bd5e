import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/http/api-route";
import { readJsonBody } from "@/lib/http/json-body";
import { limitParaRefusals } from "@/lib/http/rate-limit";
import { startJwtSession } from "@/lib/session/service";
import { jwtSessionBody } from "./schema";

export const runtime = "nodejs";

/** Path 3: verify a Para JWT against Para's JWKS (no call to Para once its keys are cached). */
export const POST = apiRoute(async (request) => {
  const { token } = await readJsonBody(request, jwtSessionBody);
  return NextResponse.json(await limitParaRefusals(request, () => startJwtSession(token)));
});
