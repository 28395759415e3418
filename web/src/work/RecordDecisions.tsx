import { useMe } from "../components/lookups.ts";
import { DecisionsHere } from "./Decisions.tsx";
import { hasQueue, useQueue } from "./useQueue.ts";

/** The decisions waiting for the signed-in user on this record's page (cases: closure, BIA/BID reviews). */
export function RecordDecisions(props: { resourceKey: string; id: string; reload: () => void }) {
  const { may } = useMe();
  const enabled = props.resourceKey === "cases" && hasQueue(may);
  const { queue, reload } = useQueue(enabled);
  if (!enabled || !queue) return null;
  return (
    <DecisionsHere
      closures={(queue.closures ?? []).filter((c) => c.caseID === props.id)}
      reviews={(queue.reviews ?? []).filter((r) => r.caseID === props.id)}
      onDone={() => {
        reload();
        props.reload();
      }}
    />
  );
}
