import type { ReactNode } from "react";
import { Button } from "./button.tsx";
import { ErrorNotice } from "./error-notice.tsx";

/**
 * A form that runs one mutation: its fields, then the server's error, a note while it runs (the
 * slow steps it is taking), and one full-width submit button that is busy meanwhile.
 */
export function SubmitForm({
  onSubmit,
  pending,
  error,
  errorTitle,
  pendingNote,
  submitLabel,
  className,
  children,
}: {
  onSubmit: () => void;
  pending: boolean;
  error: unknown;
  errorTitle: string;
  pendingNote?: string;
  submitLabel: string;
  className: string;
  children: ReactNode;
}) {
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
      className={className}
    >
      {children}
      <ErrorNotice error={error} title={errorTitle} />
      {pending && pendingNote ? <p className="text-sm text-slate-500">{pendingNote}</p> : null}
      <Button type="submit" variant="primary" busy={pending} className="w-full">
        {submitLabel}
      </Button>
    </form>
  );
}
