"use client";
/**
 * Checks the editor's text with the server as the user types (after a pause, never on a timer):
 * `stacks.validate` for diagnostics, then, when the file is valid, `stacks.plan` for the diff.
 * Answers to older text are dropped.
 */
import { useEffect, useRef, useState } from "react";
import { api, type RouterOutputs } from "@/lib/trpc-client.ts";

export const STACK_FILE_NAME = "docker-stack.yml";
const TYPING_PAUSE_MS = 400;

export type StackValidation = RouterOutputs["stacks"]["validate"];
export type StackPlan = RouterOutputs["stacks"]["plan"];

export interface StackCheck {
  checking: boolean;
  validation?: StackValidation;
  plan?: StackPlan;
  error?: unknown;
}

export function useStackCheck(name: string, text: string, prune: boolean): StackCheck {
  const [check, setCheck] = useState<StackCheck>({ checking: false });
  const sequence = useRef(0);
  useEffect(() => {
    const id = ++sequence.current;
    if (text.trim() === "" || name.trim() === "") {
      setCheck({ checking: false });
      return;
    }
    setCheck((c) => ({ ...c, checking: true }));
    const timer = setTimeout(() => {
      void (async () => {
        const files = [{ name: STACK_FILE_NAME, text }];
        try {
          const validation = await api.stacks.validate.mutate({ name, files });
          if (id !== sequence.current) return;
          if (!validation.ok) {
            setCheck({ checking: false, validation });
            return;
          }
          const plan = await api.stacks.plan.mutate({ name, files, prune });
          if (id === sequence.current) setCheck({ checking: false, validation, plan });
        } catch (error) {
          if (id === sequence.current) setCheck({ checking: false, error });
        }
      })();
    }, TYPING_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [name, text, prune]);
  return check;
}
