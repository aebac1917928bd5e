import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/http/api-route";
import { keepCurrentSessionAlive } from "@/lib/session/service";

export const runtime = "nodejs";

/** Extend the Para session the server holds (`keepSessionAlive`). */
export const POST = apiRoute(async () => {
  const view = await keepCurrentSessionAlive();
  return NextResponse.json({ extended: true, ...view });
});
