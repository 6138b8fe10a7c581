"use client";
/** The current time for "age" columns, re-read every `periodMs` (a render clock, not a data poll). */
import { useEffect, useState } from "react";

export function useNow(periodMs = 10_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), periodMs);
    return () => clearInterval(timer);
  }, [periodMs]);
  return now;
}
