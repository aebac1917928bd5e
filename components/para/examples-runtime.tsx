"use client";

import type { ParaPublicConfig } from "@/lib/para/public-config";
import { ExamplesPanel } from "../examples/examples-panel";
import { ParaRuntime } from "./para-runtime";

/** The examples page's Para part, loaded on demand (`ExamplesArea` in areas.tsx): the SDK and the recipes. */
export default function ExamplesRuntime(props: { config: ParaPublicConfig; serverSession: boolean; openModal: boolean }) {
  return (
    <ParaRuntime config={props.config} openModal={props.openModal}>
      <ExamplesPanel mode={props.config.mode} serverSession={props.serverSession} />
    </ParaRuntime>
  );
}
