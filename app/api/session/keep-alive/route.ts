import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/http/api-route";
import { keepCurrentSessionAlive } from "@/lib/session/service";

export const runtime = "nodejs";

/** Extend the Para session the server holds (`keepSessionAlive`); the answer carries Para's new end. */
export const POST = apiRoute(async () => {
  return NextResponse.json(await keepCurrentSessionAlive());
});
