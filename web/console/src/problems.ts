// What an API refusal means to staff, in the console's words.
import {explainer} from '@patron/common/problems';

import {word} from './i18n';

export const explain = explainer(word);
