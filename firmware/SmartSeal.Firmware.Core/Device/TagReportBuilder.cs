using System.Collections;
using SmartSeal.Firmware.Hardware;
using SmartSeal.Protocol.Messages;

namespace SmartSeal.Firmware.Device
{
    /// <summary>Turns what each reader sees (slot 1 first; <see cref="TagReading"/> for empty and unreadable) into a tag report.</summary>
    public static class TagReportBuilder
    {
        public static TagReportBody Build(string checkId, string[] seenBySlot)
        {
            ArrayList slots = new ArrayList();
            ArrayList tags = new ArrayList();
            ArrayList unreadable = new ArrayList();
            for (int i = 0; i < seenBySlot.Length; i++)
            {
                string seen = seenBySlot[i];
                if (seen == null || seen == TagReading.None)
                {
                    continue;
                }

                if (seen == TagReading.Unreadable)
                {
                    unreadable.Add((long)(i + 1));
                }
                else
                {
                    slots.Add((long)(i + 1));
                    tags.Add(seen);
                }
            }

            TagReportBody report = new TagReportBody();
            report.CheckId = checkId;
            report.Slots = ToLongs(slots);
            report.Tags = (string[])tags.ToArray(typeof(string));
            report.Unreadable = ToLongs(unreadable);
            return report;
        }

        private static long[] ToLongs(ArrayList values)
        {
            long[] result = new long[values.Count];
            for (int i = 0; i < result.Length; i++)
            {
                result[i] = (long)values[i];
            }

            return result;
        }
    }
}
