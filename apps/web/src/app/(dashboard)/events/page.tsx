import { EmptyState } from "@/components/empty-state.tsx";
import { PageHeader } from "@/components/page-header.tsx";

/** Placeholder: this page is built next (see apps/web/README.md, "Adding a page"). */
export default function EventsPage() {
  return (
    <>
      <PageHeader title="Events" />
      <EmptyState title="The event history is coming to the dashboard">
        Until then, use the CLI: <code className="font-mono">shoal events</code>.
      </EmptyState>
    </>
  );
}
