import { NextResponse } from "next/server";
import { checkHealth } from "@/lib/health";
import { apiRoute } from "@/lib/http/api-route";

export const runtime = "nodejs";

/** For the test runner and deployments: 200 when the app and its database answer. */
export const GET = apiRoute(async () => {
  const health = await checkHealth();
  return NextResponse.json(health, { status: health.ok ? 200 : 503 });
});
