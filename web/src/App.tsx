import { useState } from "react";

export function App() {
  const [token, setToken] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (token) return <p>Signed in.</p>;
  return (
    <form
      onSubmit={async (e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        const res = await fetch("/auth/login", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ email: f.get("email"), password: f.get("password") }),
        });
        const body = await res.json();
        if (res.ok) setToken(body.token);
        else setError(body.detail);
      }}
    >
      <h1>Waypoint</h1>
      <input name="email" type="email" placeholder="E-mail" />
      <input name="password" type="password" placeholder="Password" />
      <button type="submit">Sign in</button>
      {error && <p role="alert">{error}</p>}
    </form>
  );
}
