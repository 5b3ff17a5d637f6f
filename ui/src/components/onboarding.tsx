// PLACEHOLDER: being built in this session (shown by the traces page when a project has no traces yet).
export function Onboarding(_props: { projectId: string }) {
  return null;
}
