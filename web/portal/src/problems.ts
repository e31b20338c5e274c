// What an API refusal means to a member, in the portal's words.
import {explainer} from '@patron/common/problems';

import {word} from './i18n';

export const explain = explainer(word, true);
