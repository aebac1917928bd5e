import { Hono } from "hono";
import type { ApiEnv } from "./context.js";

export const miscRoutes = new Hono<ApiEnv>();
