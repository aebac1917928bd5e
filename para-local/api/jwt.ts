import { Hono } from "hono";
import type { ApiEnv } from "./context.js";

export const jwtRoutes = new Hono<ApiEnv>();
