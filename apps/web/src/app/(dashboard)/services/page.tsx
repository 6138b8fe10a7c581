import { EmptyState } from "@/components/empty-state.tsx";
import { PageHeader } from "@/components/page-header.tsx";

/** Placeholder: this page is built next (see apps/web/README.md, "Adding a page"). */
export default function ServicesPage() {
  return (
    <>
      <PageHeader title="Services" />
      <EmptyState title="Services are coming to the dashboard">
        Until then, use the CLI: <code className="font-mono">shoal service ls</code>.
      </EmptyState>
    </>
  );
}
