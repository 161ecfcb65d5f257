/** Application key and secret, kept in this browser tab only (sessionStorage), never in the page URL. */
export interface Credentials {
  key: string;
  secret: string;
}

const STORAGE_KEY = "imgflo-signing";

export function loadCredentials(): Credentials {
  try {
    const saved = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? "{}") as Partial<Credentials>;
    return { key: saved.key ?? "", secret: saved.secret ?? "" };
  } catch {
    return { key: "", secret: "" };
  }
}

export function saveCredentials(credentials: Credentials): void {
  try {
    if (credentials.key === "" && credentials.secret === "") sessionStorage.removeItem(STORAGE_KEY);
    else sessionStorage.setItem(STORAGE_KEY, JSON.stringify(credentials));
  } catch {
    // Storage can be disabled (private mode, policies): signing still works for this page view.
  }
}
