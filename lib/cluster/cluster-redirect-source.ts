// What the IKE layer's redirect provider needs from the CLB: the least
// loaded gateway for one new session (ClbComponent.chooseRedirect), or
// undefined when this gateway is not the primary.
import type { LlgDecision } from './clb/least-loaded';

export interface ClusterRedirectSource {
  chooseRedirect(): LlgDecision | undefined;
}
