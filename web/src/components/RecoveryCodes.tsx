import "../pages/secondFactor.css";

/**
 * The ten recovery codes of a second factor, shown once after enrolment (at a first sign-in or from My account):
 * a heading, what they are for, the codes left to right in any language, and the button that says they are kept.
 * Each screen gives its own words.
 */
export function RecoveryCodes(props: {
  codes: string[];
  title: string;
  help: string;
  done: string;
  onDone: () => void;
  /** the container's class: `page` for a page of the app, `second-factor` on the sign-in screen */
  className: string;
  headingId?: string;
}) {
  const headingId = props.headingId ?? "recovery-codes-title";
  return (
    <section className={props.className} aria-labelledby={headingId} data-testid="recovery-codes">
      <h1 id={headingId}>{props.title}</h1>
      <p>{props.help}</p>
      <ol className="recovery-codes" dir="ltr">
        {props.codes.map((c) => (
          <li key={c}>
            <code>{c}</code>
          </li>
        ))}
      </ol>
      <button type="button" className="primary" onClick={props.onDone}>
        {props.done}
      </button>
    </section>
  );
}
