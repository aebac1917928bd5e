import { apiRoute } from "@/lib/http/api-route";
import { AppError } from "@/lib/errors";

export const runtime = "nodejs";

/** Any other /api path: the same JSON error shape as the real routes, not an HTML page. */
const notFound = apiRoute(async (request) => {
  throw new AppError("not_found", `No API route at ${request.nextUrl.pathname}.`);
});

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
