/** Content parts of Responses API messages (`input_text`, `input_image`, `output_text`, ...) -> OTel parts. */
import { str, type Json } from '../core/json.ts';
import { inputAudioPart, urlPart } from '../core/media.ts';
import { textOrParts, textPart, type Part } from '../core/parts.ts';

export function responsesContentParts(content: unknown): Part[] {
  return textOrParts(content, contentPart);
}

function contentPart(part: Json): Part {
  switch (part.type) {
    case 'input_text':
    case 'output_text':
    case 'text':
      return textPart(str(part.text) ?? '');
    case 'refusal':
      return textPart(str(part.refusal) ?? '');
    case 'input_image':
      if (str(part.image_url)) return urlPart(part.image_url as string, 'image');
      return str(part.file_id) ? { type: 'file', modality: 'image', file_id: part.file_id } : { type: 'input_image' };
    case 'input_file':
      if (str(part.file_id)) return { type: 'file', file_id: part.file_id, ...(str(part.filename) ? { filename: part.filename } : {}) };
      if (str(part.file_data)) return urlPart(part.file_data as string);
      return str(part.file_url) ? urlPart(part.file_url as string) : { type: 'input_file' };
    case 'input_audio':
      return inputAudioPart(part.input_audio);
    default:
      return { type: str(part.type) ?? 'unknown' };
  }
}
