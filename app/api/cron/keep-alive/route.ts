import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/http/api-route";
import { authorizeKeepAliveRun, runKeepAliveJob } from "@/lib/session/keep-alive-job";

export const runtime = "nodejs";
// A run may keep many sessions alive, each a few calls to Para.
export const maxDuration = 300;

/** The keep-alive job (Vercel Cron, `vercel.json`): extends the stored sessions that end soon. */
export const GET = apiRoute(async (request) => {
  authorizeKeepAliveRun(request.headers.get("authorization"));
  return NextResponse.json(await runKeepAliveJob());
});
