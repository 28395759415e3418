import {
  ActivityKindLabels,
  EnquiryChannelLabels,
  EnquiryStatusLabels,
  EnquiryTopicLabels,
} from "@waypoint/schema";
import { useMe } from "../components/lookups.ts";
import { RelatedSection } from "../components/RelatedSection.tsx";
import { useCT } from "./parts.tsx";

const byStart = (a: Record<string, unknown>, b: Record<string, unknown>) =>
  String(b.start ?? "").localeCompare(String(a.start ?? ""));

/** A person's page: the sessions they attended and their enquiries. */
export function PersonCommunity(props: { individualID: string }) {
  const { c } = useCT();
  const { may } = useMe();
  const q = encodeURIComponent(props.individualID);
  return (
    <>
      {may("activity.read") && (
        <RelatedSection
          id="person-sessions"
          title={c("act.attendedTitle")}
          path={`/api/activities?individualID=${q}`}
          sort={byStart}
          columns={[
            { field: "start", kind: "datetime", label: c("act.when") },
            { field: "kind", kind: "enum", table: ActivityKindLabels, label: c("act.kind") },
            { field: "topic", kind: "text", label: c("act.topic") },
          ]}
          empty={c("act.none")}
          link={(r) => `/activities/${String(r.activityID)}`}
          linkField="topic"
        />
      )}
      {may("enquiry.read") && (
        <RelatedSection
          id="person-enquiries"
          title={c("enq.personEnquiries")}
          path={`/api/enquiries?individualID=${q}`}
          columns={[
            { field: "time", kind: "datetime", label: c("enq.when") },
            { field: "channel", kind: "enum", table: EnquiryChannelLabels, label: c("enq.channel") },
            { field: "topic", kind: "enum", table: EnquiryTopicLabels, label: c("enq.topic") },
            { field: "answer", kind: "text", label: c("enq.answer"), get: (r) => (r.record as Record<string, unknown>)?.answer },
            { field: "status", kind: "enum", table: EnquiryStatusLabels, label: c("enq.status") },
          ]}
          empty={c("enq.none")}
        />
      )}
    </>
  );
}
