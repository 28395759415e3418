import { useEffect, useState, type FormEvent } from "react";
import QRCode from "qrcode";
import type { Enrolment, SecondFactorStatus } from "@waypoint/schema";
import { ApiError, api } from "../api/client.ts";
import { RecoveryCodes } from "../components/RecoveryCodes.tsx";
import { useI18n } from "../i18n/i18n.tsx";
import { myAccountText, type MyAccountKey } from "./myAccountText.ts";

/**
 * The signed-in user's own account: turning a second factor on (QR code of the otpauth URI drawn here in the
 * browser, the key in text, a first code, the recovery codes shown once) or off with a current code. A role that
 * needs a second factor is told it cannot be turned off, and is not offered to.
 */
export function MyAccountPage() {
  const i18n = useI18n();
  const say = (k: MyAccountKey, v?: Record<string, string | number>) => myAccountText(i18n.lang, k, v);
  const [status, setStatus] = useState<SecondFactorStatus | null>(null);
  const [setup, setSetup] = useState<Enrolment | null>(null);
  const [qr, setQr] = useState<string | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [reloads, setReloads] = useState(0);

  useEffect(() => {
    api<SecondFactorStatus>("GET", "/api/me/second-factor")
      .then(setStatus)
      .catch(() => setError(say("my.sf.failed")));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- reload on demand
  }, [reloads]);

  const refusal = (err: unknown) => {
    if (err instanceof ApiError && err.status === 422) return say("my.sf.wrong");
    if (err instanceof ApiError && err.status === 429) {
      const retry = (err.problem as { retryAfter?: number }).retryAfter ?? 60;
      return say("my.sf.locked", { minutes: Math.max(1, Math.ceil(retry / 60)) });
    }
    return say("my.sf.failed");
  };
  const codeOf = (e: FormEvent<HTMLFormElement>) =>
    String(new FormData(e.currentTarget).get("code") ?? "").replace(/\s/g, "");

  const start = async () => {
    setError(null);
    setNotice(null);
    setBusy(true);
    try {
      const e = await api<Enrolment>("POST", "/api/me/second-factor");
      setSetup(e);
      setQr(await QRCode.toDataURL(e.uri, { margin: 1, width: 220 }));
    } catch (err) {
      setError(refusal(err));
    } finally {
      setBusy(false);
    }
  };

  if (codes)
    return (
      <RecoveryCodes
        className="page"
        headingId="page-title"
        codes={codes}
        title={say("my.sf.codes")}
        help={say("my.sf.codesHelp")}
        done={say("my.sf.codesDone")}
        onDone={() => {
          setCodes(null);
          setReloads((n) => n + 1);
        }}
      />
    );

  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">{say("my.title")}</h1>
      <div className="card">
        <h2>{say("my.sf")}</h2>
        {status && (
          <p data-testid="sf-status">
            {status.enrolled
              ? say("my.sf.on", { date: i18n.dateTime(status.enrolledAt), count: status.recoveryCodesLeft })
              : say("my.sf.off")}
          </p>
        )}
        {status?.required && <p className="muted">{say("my.sf.required")}</p>}
        {notice && <p role="status">{notice}</p>}
        {status && !status.enrolled && !setup && (
          <button type="button" className="primary" disabled={busy} onClick={start}>
            {say("my.sf.start")}
          </button>
        )}
        {setup && (
          <form
            className="form"
            onSubmit={async (e) => {
              e.preventDefault();
              const code = codeOf(e);
              setBusy(true);
              setError(null);
              try {
                const r = await api<{ recoveryCodes: string[] }>("POST", "/api/me/second-factor/confirm", { code });
                setSetup(null);
                setQr(null);
                setCodes(r.recoveryCodes);
              } catch (err) {
                setError(refusal(err));
              } finally {
                setBusy(false);
              }
            }}
          >
            <p>{say("my.sf.scan")}</p>
            {qr && <img src={qr} alt={say("my.sf.qr")} width={220} height={220} data-testid="totp-qr" />}
            <p>
              {say("my.sf.key")}:{" "}
              <code dir="ltr" data-testid="totp-secret">
                {setup.secret.replace(/(.{4})/g, "$1 ").trim()}
              </code>
            </p>
            <label>
              {say("my.sf.code")}
              <input name="code" required autoComplete="one-time-code" inputMode="numeric" dir="ltr" maxLength={8} />
            </label>
            <div className="actions">
              <button type="submit" className="primary" disabled={busy}>
                {say("my.sf.confirm")}
              </button>
              <button type="button" onClick={() => (setSetup(null), setQr(null))}>
                {say("my.sf.cancel")}
              </button>
            </div>
          </form>
        )}
        {status?.enrolled && !status.required && (
          <form
            className="form"
            aria-label={say("my.sf.turnOff")}
            onSubmit={async (e) => {
              e.preventDefault();
              const code = codeOf(e);
              setBusy(true);
              setError(null);
              try {
                await api("POST", "/api/me/second-factor/disable", { code });
                setNotice(say("my.sf.turnedOff"));
                setReloads((n) => n + 1);
              } catch (err) {
                setError(refusal(err));
              } finally {
                setBusy(false);
              }
            }}
          >
            <p className="muted">{say("my.sf.turnOffHelp")}</p>
            <label>
              {say("my.sf.code")}
              <input name="code" required autoComplete="one-time-code" dir="ltr" maxLength={20} />
            </label>
            <button type="submit" disabled={busy}>
              {say("my.sf.turnOff")}
            </button>
          </form>
        )}
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
      </div>
    </section>
  );
}
