import Link from "next/link";
import { errorMessage, isSwarmLocked } from "@/lib/api-errors.ts";

/** A failure as the server explained it (its message already says what to do). */
export function ErrorNotice({ error, title = "That did not work" }: { error: unknown; title?: string }) {
  if (!error) return null;
  return (
    <div
      role="alert"
      className="rounded-lg border border-rose-200 bg-rose-50 px-4 py-3 text-sm text-rose-800"
    >
      <p className="font-medium">{title}</p>
      <p className="mt-0.5">{errorMessage(error)}</p>
      {isSwarmLocked(error) ? (
        <Link href="/unlock" className="mt-2 inline-block font-medium text-rose-900 underline">
          Unlock this manager
        </Link>
      ) : null}
    </div>
  );
}
