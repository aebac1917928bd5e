import { Hono } from "hono";
import type { ApiEnv } from "./context.js";

export const testControlRoutes = new Hono<ApiEnv>();
